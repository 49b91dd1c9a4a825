from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("<slug:course_slug>/", views.course_detail, name="course-detail"),
    # Before the lesson pattern: "enrol" is not a lesson.
    path("<slug:course_slug>/enrol/", views.course_enrol, name="course-enrol"),
    path("<slug:course_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson-detail"),
    path(
        "<slug:course_slug>/<slug:lesson_slug>/complete/",
        views.lesson_complete,
        name="lesson-complete",
    ),
    path(
        "<slug:course_slug>/<slug:lesson_slug>/watched/",
        views.lesson_watched,
        name="lesson-watched",
    ),
    path(
        "<slug:course_slug>/<slug:lesson_slug>/questions/",
        views.lesson_ask,
        name="lesson-ask",
    ),
]
