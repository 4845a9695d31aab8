"""The people of an institution: the list, adding a person (with a parent for a student), the
person's card with its memberships, parents and account, and the import from a file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.core.clock import today

from .. import importing, services, sign_in_email
from ..access import institution_for_user, person_for_user
from ..forms import (
    GuardianAddForm,
    MembershipAddForm,
    ParentForm,
    PersonAddForm,
    PersonForm,
    apply_errors,
)
from ..models import Guardianship, Institution, Membership, Person
from ..roles import user_roles
from ..selectors import institution_role_counts, person_card

# The URLconf finds every people page here; the import pages live in their own module.
from .people_import import people_import, people_import_template  # noqa: F401

PAGE_SIZE = 50


def name_search(qs: QuerySet, q: str, prefix: str = "") -> QuerySet:
    """People whose names contain every word of ``q`` (any case, also on SQLite)."""
    for word in q.split()[:4]:
        condition = Q()
        for variant in {word, word.lower(), word.capitalize()}:
            for name in ("surname", "given_name", "patronymic"):
                condition |= Q(**{f"{prefix}{name}__icontains": variant})
        qs = qs.filter(condition)
    return qs


def _next_or(request, default: str) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _form_page(request, template: str, context: dict, *forms) -> HttpResponse:
    status = 400 if any(f.errors for f in forms) else 200
    return render(request, template, context, status=status)


# --- the list -------------------------------------------------------------------------------


@login_required
def people_list(request, slug: str):
    institution = institution_for_user(request.user, slug=slug, perm="network.view_people")
    q = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    role = role if role in Membership.Role.values else ""
    former = request.GET.get("state") == "former"
    memberships = Membership.objects.filter(institution=institution)
    memberships = memberships.filter(ends_on__lt=today()) if former else memberships.active()
    if role:
        memberships = memberships.filter(role=role)
    memberships = name_search(memberships, q, prefix="person__").select_related("person")
    memberships = memberships.order_by(
        "person__surname", "person__given_name", "person__patronymic", "pk"
    )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "institution": institution,
        "page": page,
        "q": q,
        "role": role,
        "former": former,
        "roles": Membership.Role.choices,
        "counts": institution_role_counts([institution.pk]).get(institution.pk, {}),
        "can_manage": request.user.has_perm("network.manage_people", institution),
    }
    return render(request, "network/people/list.html", context)


# --- adding a person ------------------------------------------------------------------------


def _apply_enrol_errors(form, parent_form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    main = {k: v for k, v in exc.error_dict.items() if not k.startswith("parent_")}
    parent = {k: v for k, v in exc.error_dict.items() if k.startswith("parent_")}
    if main:
        apply_errors(form, ValidationError(main))
    if parent:
        apply_errors(parent_form, ValidationError(parent), prefix="parent_")


def _enrol_messages(request, result: importing.EnrolResult) -> None:
    names = {"name": result.person.full_name, "role": result.membership.get_role_display()}
    if result.person_created:
        messages.success(request, _("%(name)s is added as %(role)s.") % names)
    else:
        messages.success(
            request,
            _(
                "%(name)s was already in the network: the role of %(role)s is added to that "
                "person, and their details are left as they were."
            )
            % names,
        )
    if result.parent is not None:
        parent = {"name": result.parent.full_name}
        if result.parent_created:
            messages.success(request, _("The parent %(name)s is added and linked.") % parent)
        else:
            messages.success(
                request, _("The parent %(name)s was already in the network and is linked.") % parent
            )


@login_required
def person_add(request, slug: str):
    institution = institution_for_user(request.user, slug=slug, perm="network.manage_people")
    role = request.GET.get("role", "")
    initial = {"starts_on": today(), "role": role if role in Membership.Role.values else ""}
    form = PersonAddForm(request.POST or None, initial=initial)
    parent_form = ParentForm(request.POST or None, prefix="parent")
    if request.method == "POST":
        valid = form.is_valid() & parent_form.is_valid()
        chosen = form.cleaned_data.get("role") if valid else None
        if valid and parent_form.has_data() and chosen != Membership.Role.STUDENT:
            parent_form.add_error(None, _("A parent can be added only for a student."))
            valid = False
        if valid:
            data = form.cleaned_data
            enrolment = importing.Enrolment(
                person=form.person_data(),
                role=data["role"],
                position=data["position"],
                starts_on=data["starts_on"],
                parent=parent_form.person_data(),
                parent_kind=parent_form.cleaned_data["kind"],
            )
            people = [enrolment.person, *([enrolment.parent] if enrolment.parent else [])]
            index = importing.PersonIndex.load(institution.municipality, people)
            try:
                result = importing.person_enrol(
                    actor=request.user, institution=institution, enrolment=enrolment, index=index
                )
            except ValidationError as exc:
                _apply_enrol_errors(form, parent_form, exc)
            else:
                _enrol_messages(request, result)
                if "another" in request.POST:
                    url = reverse("network:person_add", args=[institution.slug])
                    return redirect(f"{url}?role={data['role']}")
                return redirect("network:person", pk=result.person.pk)
    context = {"institution": institution, "form": form, "parent_form": parent_form}
    return _form_page(request, "network/people/add.html", context, form, parent_form)


# --- the card -------------------------------------------------------------------------------


@login_required
def person_detail(request, pk: int):
    person = person_for_user(request.user, pk)
    user = request.user
    can_change = user.has_perm("network.change_person", person)
    card = person_card(user, person)
    for m in card.memberships:
        m.active = m.is_active_on(today())
        m.can_end = m.active and user.has_perm("network.manage_people", m.institution)
    context = {
        "person": person,
        "memberships": card.memberships,
        "can_change": can_change,
        "full": card.full,
        "can_add_membership": can_change and _manageable(user, person).exists(),
        "is_student": any(m.active and m.role == Membership.Role.STUDENT for m in card.memberships),
        "email_changes": card.email_changes,
    }
    if card.full:
        for g in card.guardians:
            g.can_end = can_change and g.ends_on is None
        for g in card.wards:
            g.can_end = g.ends_on is None and user.has_perm("network.change_person", g.student)
        context.update(guardians=card.guardians, children=card.wards)
    return render(request, "network/people/detail.html", context)


@login_required
def person_edit(request, pk: int):
    person = person_for_user(request.user, pk, "network.change_person")
    initial = {k: getattr(person, k) for k in importing.PERSON_KEYS}
    form = PersonForm(request.POST or None, initial=initial)
    locked = not request.user.has_perm("network.change_sign_in_email", person)
    if locked:
        form.fields["email"].disabled = True
        form.fields["email"].help_text = sign_in_email.LOCKED
    context = {"person": person, "form": form}
    if request.method != "POST":
        return _form_page(request, "network/people/edit.html", context, form)
    # A browser does not send a disabled field: a changed address here comes from a form of
    # another time or a hand-made request, and is refused as the API refuses it (403).
    if locked and sign_in_email.is_change(person, request.POST.get("email", person.email)):
        form.is_valid()
        form.add_error("email", str(sign_in_email.LOCKED))
        return render(request, "network/people/edit.html", context, status=403)
    if form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.person_data())
        except ValidationError as exc:
            person.refresh_from_db()
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("network:person", pk=person.pk)
    return _form_page(request, "network/people/edit.html", context, form)


@login_required
@require_POST
def person_account(request, pk: int):
    person = person_for_user(request.user, pk, "network.change_person")
    if not person.email:
        messages.error(
            request,
            _(
                "First add this person's e-mail address (Edit): the link to set a password is "
                "sent there. Without it the person cannot sign in."
            ),
        )
    elif person.user_id is None:
        try:
            user = services.person_account_create(actor=request.user, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "An account is created, login: %(login)s. A link to set a password has been "
                    "sent to %(email)s; it is valid for three days."
                )
                % {"login": user.username, "email": person.email},
            )
    elif not services.queue_invitation_email(person.pk):
        messages.error(request, _("The e-mail could not be sent now. Try again later."))
    else:
        messages.success(
            request,
            _("A new link to set a password has been sent to %(email)s.") % {"email": person.email},
        )
    return redirect("network:person", pk=person.pk)


def _manageable(user, person: Person) -> QuerySet[Institution]:
    """Institutions where ``user`` may give ``person`` a role."""
    qs = Institution.objects.active().filter(municipality_id=person.municipality_id)
    roles = user_roles(user)
    if user.is_superuser or person.municipality_id in roles.municipal_admin_of:
        return qs
    return qs.filter(pk__in=roles.admin_of)


@login_required
def membership_add(request, pk: int):
    person = person_for_user(request.user, pk, "network.change_person")
    institutions = _manageable(request.user, person)
    form = MembershipAddForm(
        request.POST or None, institutions=institutions, initial={"starts_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_create(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s in %(institution)s.")
                % {
                    "name": person.full_name,
                    "role": membership.get_role_display(),
                    "institution": membership.institution.short_name,
                },
            )
            return redirect("network:person", pk=person.pk)
    context = {"person": person, "form": form}
    return _form_page(request, "network/people/membership_add.html", context, form)


@login_required
def guardian_add(request, pk: int):
    student = person_for_user(request.user, pk, "network.change_person")
    people = Person.objects.filter(municipality_id=student.municipality_id).exclude(pk=student.pk)
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    form = GuardianAddForm(request.POST or None, candidates=people)
    if request.method == "POST" and form.is_valid():
        existing = form.cleaned_data["existing"]
        data = None if existing else form.person_data()
        index = importing.PersonIndex.load(student.municipality, [data] if data else [])
        try:
            parent, _created, link = importing.guardian_link(
                actor=request.user,
                student=student,
                kind=form.cleaned_data["kind"],
                index=index,
                parent=existing,
                data=data,
            )
        except ValidationError as exc:
            apply_errors(form, exc, prefix="parent_")
        else:
            names = {"parent": parent.full_name, "student": student.full_name}
            if link is None:
                messages.info(request, _("%(parent)s is already linked to %(student)s.") % names)
            else:
                messages.success(request, _("%(parent)s is linked to %(student)s.") % names)
            return redirect("network:person", pk=student.pk)
    found = list(name_search(people, q)[:30]) if q else []
    ids = [p.pk for p in found]
    if str(form.data.get("existing", "")).isdigit():
        ids.append(int(form.data["existing"]))
    form.fields["existing"].queryset = people.filter(pk__in=ids)
    context = {"person": student, "form": form, "q": q, "found": found}
    return _form_page(request, "network/people/guardian_add.html", context, form)


@login_required
@require_POST
def membership_end(request, pk: int):
    membership = Membership.objects.select_related("institution", "person").filter(pk=pk).first()
    if membership is None or not request.user.has_perm(
        "network.manage_people", membership.institution
    ):
        raise Http404
    roles = user_roles(request.user)
    own_admin = (
        membership.role == Membership.Role.INSTITUTION_ADMIN
        and membership.person_id == roles.person_id
        and membership.institution.municipality_id not in roles.municipal_admin_of
    )
    if membership.ends_on is not None and membership.ends_on <= today():
        messages.info(request, _("This role has already ended."))
    elif own_admin:
        messages.error(
            request,
            _("You cannot end your own administrator role: ask the municipal administrator."),
        )
    else:
        try:
            services.membership_end(actor=request.user, membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The role of %(name)s in %(institution)s has ended.")
                % {"name": membership.person.full_name, "institution": membership.institution},
            )
    return redirect(_next_or(request, reverse("network:person", args=[membership.person_id])))


@login_required
@require_POST
def guardianship_end(request, pk: int):
    link = Guardianship.objects.select_related("student", "guardian").filter(pk=pk).first()
    if link is None or not request.user.has_perm("network.change_person", link.student):
        raise Http404
    services.guardianship_end(actor=request.user, guardianship=link)
    messages.success(
        request,
        _("%(parent)s is no longer linked to %(student)s.")
        % {"parent": link.guardian.full_name, "student": link.student.full_name},
    )
    return redirect(_next_or(request, reverse("network:person", args=[link.student_id])))
