"""A teacher's own ICT self-assessment: a level per skill, in the open campaign that asks the
teachers of their institution; their earlier ones for comparison."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core.converters import parse_id
from setka.network.roles import user_roles

from .. import services
from ..models import SelfAssessment, Skill, SkillLevel

HINTS = {
    Skill.OFFICE: gettext_lazy("texts, spreadsheets, presentations"),
    Skill.INTERNET: gettext_lazy("finding and using materials, digital libraries"),
    Skill.DISTANCE: gettext_lazy("courses, online tests, assignments in a learning environment"),
    Skill.VIDEO: gettext_lazy("holding and joining a videoconference, showing the screen"),
    Skill.JOURNAL: gettext_lazy("marks, topics and homework in the electronic journal"),
    Skill.CONTENT: gettext_lazy("making video lessons, interactive tasks, presentations"),
}


@login_required
def self_assessment(request):
    roles = user_roles(request.user)
    if not roles.teacher_of or roles.person_id is None:
        raise PermissionDenied
    asking = list(services.campaigns_asking(roles.teacher_of))
    chosen = parse_id(request.GET.get("campaign") or request.POST.get("campaign"))
    campaign = next((c for c in asking if c.pk == chosen), asking[0] if asking else None)
    mine = {
        a.campaign_id: a
        for a in SelfAssessment.objects.filter(person_id=roles.person_id).select_related("campaign")
    }
    current = mine.get(campaign.pk) if campaign else None
    values = current.levels() if current else dict.fromkeys(Skill.values)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        if campaign is None:
            messages.error(request, _("No campaign asks for a self-assessment now."))
            return redirect("readiness:self_assessment")
        posted = {s: request.POST.get(s, "") for s in Skill.values}
        submit = request.POST.get("action") == "submit"
        try:
            services.self_assessment_save(actor=request.user, campaign=campaign, levels=posted,
                                          submit=submit)  # fmt: skip
        except ValidationError as exc:
            errors, status = exc.message_dict, 422
            values = {s: int(v) if v.isdigit() else None for s, v in posted.items()}
        except services.Conflict as exc:
            messages.error(request, exc.message)
            return redirect("readiness:self_assessment")
        else:
            messages.success(
                request,
                _("Thank you: your self-assessment is saved.") if submit or (
                    current and current.status == SelfAssessment.Status.SUBMITTED)
                else _("Your draft is saved."),
            )  # fmt: skip
            return redirect(f"{request.path}?campaign={campaign.pk}")
    skills = [
        {"key": s.value, "label": s.label, "hint": HINTS[s], "value": values.get(s.value),
         "error": errors.get(s.value, [])}
        for s in Skill
    ]  # fmt: skip
    context = {
        "campaign": campaign,
        "asking": asking,
        "current": current,
        "skills": skills,
        "levels": SkillLevel.choices,
        "history": sorted(
            (a for a in mine.values() if a.status == SelfAssessment.Status.SUBMITTED),
            key=lambda a: a.campaign.starts_on,
            reverse=True,
        ),
        "skill_labels": [(s.value, s.label) for s in Skill],
    }
    return render(request, "readiness/self_assessment.html", context, status=status)
