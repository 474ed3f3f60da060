from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("map/", views.station_map, name="map"),
    path("reassign/", views.members_reassign, name="reassign"),
    path("<int:pk>/", views.station_detail, name="detail"),
    path("<int:pk>/activities/new/", views.activity_new, name="activity-new"),
    path("<int:pk>/matters/new/", views.matter_new, name="matter-new"),
    path("<int:pk>/donations/new/", views.donation_new, name="donation-new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo-delete"),
    path("matters/", views.matter_list, name="matters"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
]
