"""Supervision URLs, mounted in ``consultations.urls`` (namespace ``consultations``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("supervision/items/", views.item_list, name="supervision-item-list"),
    path("supervision/<int:year>/items/new/", views.item_new, name="supervision-item-new"),
    path("supervision/items/<int:pk>/", views.item, name="supervision-item"),
    path("supervision/items/<int:pk>/stage/", views.item_move, name="supervision-item-move"),
    path("supervision/items/<int:pk>/records/", views.record_add, name="supervision-record-add"),
    path("supervision/items/<int:pk>/proposals/", views.item_proposals, name="supervision-item-proposals"),
    path("supervision/items/<int:pk>/sessions/", views.item_sessions, name="supervision-item-sessions"),
    path("supervision/items/<int:pk>/questions/", views.question_ask, name="question-ask"),
    path("supervision/records/<int:pk>/file/", views.record_file, name="supervision-record-file"),
    path("supervision/questions/", views.question_list, name="question-list"),
    path("supervision/questions/<int:pk>/", views.question, name="question"),
    path(
        "supervision/questions/<int:pk>/session-answer/", views.question_session_answer, name="question-session-answer"
    ),
    path("supervisors/tasks/", views.task_list, name="supervisor-task-list"),
    path("supervisors/tasks/new/", views.task_new, name="supervisor-task-new"),
    path("supervisors/tasks/<int:pk>/", views.task, name="supervisor-task"),
    path("supervisors/tasks/<int:pk>/report/", views.task_report, name="supervisor-task-report"),
    path("supervisors/tasks/<int:pk>/forward/", views.task_forward, name="supervisor-task-forward"),
    path("supervisors/tasks/<int:pk>/feedback/", views.task_feedback, name="supervisor-task-feedback"),
    path("supervisors/photos/<int:pk>/", views.photo, name="supervisor-photo"),
]
