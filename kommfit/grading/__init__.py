"""What the hidden grade cells call during ``nbgrader autograde``: points and German feedback.
"""
