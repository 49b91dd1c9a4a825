from django.urls import path

from . import views

app_name = "clinic"

urlpatterns = [
    path("", views.patient_list, name="patient-list"),
    path("patients/<int:pk>/", views.patient_detail, name="patient-detail"),
    path("patients/<int:pk>/unlock/", views.unlock_next_step, name="unlock-step"),
    path("patients/<int:pk>/programme/", views.patient_programme, name="patient-programme"),
    path("patients/<int:pk>/feedback/", views.patient_feedback, name="patient-feedback"),
    path("patients/<int:pk>/therapist/", views.patient_therapist, name="patient-therapist"),
    path("patients/<int:pk>/doses/<int:exercise_id>/", views.patient_dose, name="patient-dose"),
    path("patients/<int:pk>/flags/seen/", views.flag_seen, name="flag-seen"),
    path("patients/<int:pk>/messages/", views.patient_message, name="patient-message"),
    path("patients/<int:pk>/records.csv", views.patient_csv, name="patient-csv"),
    path("patients/<int:pk>/summary/", views.patient_summary, name="patient-summary"),
    path("patients/<int:pk>/summary.pdf", views.patient_summary_pdf, name="patient-summary-pdf"),
    path("questions/<int:pk>/", views.answer_question, name="answer-question"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation-withdraw"),
]
