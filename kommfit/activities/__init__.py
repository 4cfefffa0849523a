"""The interactive elements of modules 1–10 (scenarios, explorers, coaches) and the laptop hand-in widget.
Run in the participant's kernel.
"""
