"""The Excel add-in (xlwings): validate and sign off with one click.

The ribbon add-in and its server route arrive with the add-in issue; the commands it will
call already exist in :mod:`kinerja.services`."""
