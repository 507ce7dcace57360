"""Plan and manage school technology: a service for schools, trusts and the DfE."""
