"""The facilitator's data of one workshop run: the cohort folder, the roster, the grading ledger, safe collect
from the exchange, laptop zip intake and the DSGVO export and deletion.
"""
