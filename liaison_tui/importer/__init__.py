"""Importing contacts from staff spreadsheets and phone exports (CSV, Excel .xlsx, vCard)."""
