"""Who cares for whom: every patient has her therapist; practice owners see everyone.

The one home of the rule. A therapist sees, exports, answers and changes only her own
patients (Profile.therapist); a practice owner (the Practice owners group, or a
superuser) sees every patient and can give one another therapist. Everything else asks
here: the therapist pages (therapy/clinic), the admin of health records, the alerts.
"""

from django.contrib.auth import get_user_model

from .groups import SEE_ALL_PATIENTS, therapists


def is_practice_owner(user):
    return user.is_authenticated and user.is_active and user.has_perm(SEE_ALL_PATIENTS)


def all_patients():
    return get_user_model().objects.filter(is_staff=False, is_superuser=False)


def patients_of(staff):
    """The patients whose records this member of staff may see."""
    if is_practice_owner(staff):
        return all_patients()
    return all_patients().filter(profile__therapist=staff)


def may_see(staff, patient):
    return patients_of(staff).filter(pk=patient.pk).exists()


def user_filter(staff, field="user"):
    """{lookup: value} that keeps a queryset of health records to this staff member's
    patients (`field`: the path to the patient), or {} for a practice owner."""
    if is_practice_owner(staff):
        return {}
    return {f"{field}__profile__therapist": staff}


def caregivers_of(patient):
    """Who is told when she needs attention: her therapist, else the practice owners, else
    every therapist (nobody may be left out of an urgent alert)."""
    therapist = getattr(getattr(patient, "profile", None), "therapist", None)
    if therapist is not None and therapist.is_active:
        return [therapist]
    everyone = list(therapists())
    owners = [t for t in everyone if is_practice_owner(t)]
    return owners or everyone
