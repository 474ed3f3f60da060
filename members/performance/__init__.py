"""Member performance (委员履职): scoring, 五个一, study, 述职, selection, contact duties.

Models live at the end of ``members/models.py``; this package holds the rest.
"""
