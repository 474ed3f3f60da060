"""Routes of the performance pages, included by ``members/urls.py``."""

from django.urls import path

from . import views_people, views_plenary, views_record, views_study

urlpatterns = [
    path("<int:pk>/record/", views_record.record, name="record"),
    path("<int:pk>/record/pdf/", views_record.record_pdf, name="record-pdf"),
    path("me/record/", views_record.my_record, name="my-record"),
    path("me/report/<int:year>/", views_record.my_report, name="my-report"),
    path("reports/", views_record.report_list, name="reports"),
    path("reports/<int:pk>/", views_record.report_review, name="report-review"),
    path("performance/", views_record.scoring_overview, name="scoring"),
    path("performance/recompute/", views_record.scoring_recompute, name="scoring-recompute"),
    path("five-ones/", views_record.five_ones_list, name="five-ones"),
    path("five-ones/export/", views_record.five_ones_export, name="five-ones-export"),
    path("study/", views_study.study_home, name="study"),
    path("study/groups/new/", views_study.group_new, name="group-new"),
    path("study/materials/<int:pk>/", views_study.material_detail, name="study-material"),
    path("study/reflections/", views_study.reflection_list, name="reflections"),
    path("study/reflections/new/", views_study.reflection_new, name="reflection-new"),
    path("study/reflections/<int:pk>/", views_study.reflection_detail, name="reflection-detail"),
    path("study/reflections/<int:pk>/excellent/", views_study.reflection_excellent, name="reflection-excellent"),
    path("trainings/", views_study.training_list, name="trainings"),
    path("trainings/<int:pk>/", views_study.training_detail, name="training-detail"),
    path("plenary/<int:pk>/attendance/", views_study.plenary_attendance, name="plenary-attendance"),
    path("plenary/<int:pk>/days/new/", views_plenary.plenary_day_new, name="plenary-day-new"),
    path("plenary/<int:pk>/groups/new/", views_plenary.plenary_group_new, name="plenary-group-new"),
    path("plenary/days/<int:pk>/", views_plenary.plenary_day, name="plenary-day"),
    path("selection/", views_people.selection_list, name="selection"),
    path("selection/<int:pk>/", views_people.selection_detail, name="selection-detail"),
    path("selection/<int:pk>/advance/", views_people.selection_advance, name="selection-advance"),
    path("selection/candidates/<int:pk>/review/", views_people.candidate_review, name="candidate-review"),
    path("contacts/", views_people.contacts, name="contacts"),
    path("contacts/<str:kind>/<int:pk>/remove/", views_people.duty_remove, name="duty-remove"),
    path("visits/", views_people.visit_list, name="visits"),
    path("visits/not-visited/", views_people.not_visited, name="not-visited"),
    path("visits/not-visited/export/", views_people.not_visited_export, name="not-visited-export"),
]
