from schooltech.standards.tests.conftest import fake_registers

__all__ = ["fake_registers"]
