# TEMPORARY placeholder: replaced by the real views.


def people_list(request, *args, **kwargs):
    raise NotImplementedError


def person_add(request, *args, **kwargs):
    raise NotImplementedError


def people_import(request, *args, **kwargs):
    raise NotImplementedError


def people_import_template(request, *args, **kwargs):
    raise NotImplementedError


def person_detail(request, *args, **kwargs):
    raise NotImplementedError


def person_edit(request, *args, **kwargs):
    raise NotImplementedError


def person_account(request, *args, **kwargs):
    raise NotImplementedError


def membership_add(request, *args, **kwargs):
    raise NotImplementedError


def guardian_add(request, *args, **kwargs):
    raise NotImplementedError


def membership_end(request, *args, **kwargs):
    raise NotImplementedError


def guardianship_end(request, *args, **kwargs):
    raise NotImplementedError
