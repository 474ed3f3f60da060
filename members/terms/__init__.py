"""Members across terms (届): one ``TermMembership`` per span in which a member's term, 界别,
position and committees held, with the dates and reasons it began and ended.

``models.py`` (models of the ``members`` app), ``services.py`` (mid-term changes and 换届),
``selectors.py`` (the membership valid on a date: ``sector_on`` for statistics, ``standing_on``
for scoring), ``views.py`` (the staff pages). ``Member.sector``, ``position``, ``terms`` and the
``CommitteeMembership`` rows stay the current values, kept in step by these services.
"""
