from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Profile
from accounts.navigation import login_required

from .conversation import timeline
from .forms import MessageForm
from .services import conversation_mark_read, message_send


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request):
    """Her conversation with her therapist; opening it marks what the therapist wrote read."""
    patient = request.user
    if patient.is_staff:
        raise Http404  # therapists answer on the patient's page
    form = MessageForm(request.POST or None, sender=patient)
    if request.method == "POST" and form.is_valid():
        # The therapist's link: her page, which only her own therapists can open.
        link = reverse("clinic:patient-detail", args=[patient.pk]) + "#conversation"
        message, emailed = message_send(
            patient=patient,
            sender=patient,
            text=form.cleaned_data["text"],
            link=request.build_absolute_uri(link),
        )
        messages.success(request, _("Your message has been sent."), extra_tags="draft-saved")
        return redirect(reverse("messaging:conversation") + f"#message-{message.pk}")
    entries = timeline(patient)
    conversation_mark_read(patient=patient, reader=patient)
    # Her profile with her therapist in one query (not two).
    profile = Profile.objects.filter(user=patient).select_related("therapist").first()
    ctx = {
        "form": form,
        "entries": entries,
        "therapist": getattr(profile, "therapist", None),
        "unread_messages": 0,  # just read: the header shows none
    }
    return render(request, "messaging/conversation.html", ctx, status=400 if form.errors else 200)
