"""What the facilitator runs: the ``kommfit`` command, its status view and the demo workshop.
"""
