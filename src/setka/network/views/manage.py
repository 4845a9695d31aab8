# TEMPORARY placeholder: replaced by the real views.


def institution_list(request, *args, **kwargs):
    raise NotImplementedError


def institution_create(request, *args, **kwargs):
    raise NotImplementedError


def institution_edit(request, *args, **kwargs):
    raise NotImplementedError


def municipal_roles(request, *args, **kwargs):
    raise NotImplementedError


def municipal_role_end(request, *args, **kwargs):
    raise NotImplementedError
