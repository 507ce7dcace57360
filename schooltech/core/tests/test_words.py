from schooltech.core.words import counted


def test_one_is_singular_and_every_other_number_plural():
    assert counted(1, "school") == "1 school"
    assert counted(0, "school") == "0 schools"
    assert counted(1200, "change") == "1,200 changes"
    assert counted(2, "UPS", "UPS units") == "2 UPS units"
