"""The workbook template: builds contract-v1 workbooks from the SOP definition."""
