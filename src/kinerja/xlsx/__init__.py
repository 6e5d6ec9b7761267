"""Reading and writing .xlsx files at the level of their zip parts."""
