from django.urls import path

from . import views

app_name = "clinic"

urlpatterns = [
    path("", views.patient_list, name="patient-list"),
    path("patients/<int:pk>/", views.patient_detail, name="patient-detail"),
    path("patients/<int:pk>/unlock/", views.unlock_next_step, name="unlock-step"),
    path("patients/<int:pk>/therapist/", views.patient_therapist, name="patient-therapist"),
    path("patients/<int:pk>/doses/<int:exercise_id>/", views.patient_dose, name="patient-dose"),
    path("patients/<int:pk>/messages/", views.patient_message, name="patient-message"),
    path("patients/<int:pk>/records.csv", views.patient_csv, name="patient-csv"),
    path("questions/<int:pk>/", views.answer_question, name="answer-question"),
]
