"""Member performance (委员履职): scoring, 五个一, study, 述职, selection, contact duties.

``models.py`` (models of the ``members`` app), ``services.py`` (every write),
``selectors.py`` (reads), ``scoring.py`` (points, caps, bands, 五个一), ``ledger.py`` (the
members side of the back-fill), ``ledger_sync.py`` (the other apps' sync), ``views_*.py``.

The ledger contract (for every app that records acts)
-----------------------------------------------------
* Write: ``members.performance.services.performance_record(member=, act=, source=, on=, note="")``.
  Idempotent per (member, act, source); a changed ``on`` moves the entry (and
  rebuilds the member's totals for both years). ``performance_withdraw(member=,
  act=, source=)`` removes an act that turned out not to have happened (a
  corrected attendance, a withdrawn co-signature). Never write
  ``PerformanceRecord`` rows any other way.
* Points: each entry stores the points of the ``ScoringRule`` in force on its
  date; yearly caps apply per (member, act, year); ``MemberYearScore`` holds the
  totals (see ``scoring.py``). After staff change rules: 履职管理 → 重算, the admin
  action on 计分规则, or ``manage.py backfill_performance --scores-only``.
* Back-fill: every app that writes entries registers ``performance_backfill`` —
  ``fn(stdout)`` that walks its own records and calls ``performance_record`` /
  ``performance_withdraw`` for each (``ledger.backfill`` for the members side;
  ``ledger_sync`` gives the other apps one ``sync``/``backfill`` over an
  entries-per-record description, shared by their services and back-fill)::

      from cppcc_portal.hooks import register

      @register("performance_backfill")
      def backfill(stdout):
          ...

  ``manage.py backfill_performance`` runs every registered hook, then recomputes
  every year; ``--rebuild`` empties the ledger first and re-derives it all
  (tests prove the demo's ledger comes back identical), ``--scores-only`` just
  recomputes.
* Links: the record page links each entry to ``source.get_absolute_url()`` when
  the source model has one.

五个一 reminders: ``members.tasks.send_five_ones_reminders`` (daily periodic task)
sends each quarterly reminder and the year-end staff list once (``reminders.py``).
"""
