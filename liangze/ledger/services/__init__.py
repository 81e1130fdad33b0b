"""Every write to the ledger, one transaction each, audited.

Split by subject: evidence files, progress entries, activities.
"""
