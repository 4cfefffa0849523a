"""Privacy-first reports: records of a cohort, aggregation with a minimum group size, HTML, CSV and the
facilitator's report explorer.
"""
