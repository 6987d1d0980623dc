"""Small builders for test data. Real writes go through the same models the loader uses."""

import datetime
import itertools

from accounts.models import User
from directives.models import Agency, Assignment, Directive, Task
from tracking.classification import refresh_deadlines
from tracking.models import Extension

_seq = itertools.count(1)


def agency(code=None, name=None, kind=Agency.Kind.DEPARTMENT, **extra) -> Agency:
    n = next(_seq)
    code = code or f"AG{n}"
    return Agency.objects.create(
        code=code,
        name=name or f"Sở thử nghiệm {n}",
        short_name=extra.pop("short_name", code),
        kind=kind,
        **extra,
    )


def user(username, role=User.Role.AGENCY, agency=None, **extra) -> User:
    u = User(username=username, role=role, agency=agency, display_name=username, **extra)
    u.set_password("camau2023")
    u.save()
    return u


def directive(reference=None, issue_date=datetime.date(2023, 1, 19), **extra) -> Directive:
    n = next(_seq)
    return Directive.objects.create(
        reference=reference or f"TEST-{n}",
        number=extra.pop("number", f"{n:02d}/KH-TEST"),
        type=extra.pop("type", Directive.Type.KE_HOACH),
        issue_date=issue_date,
        summary=extra.pop("summary", "Văn bản thử nghiệm"),
        **extra,
    )


def task(directive_=None, deadline=None, text=None, clause=None, **extra) -> Task:
    d = directive_ or directive()
    n = next(_seq)
    return Task.objects.create(
        directive=d,
        clause=clause or f"C.{n}",
        text=text or f"Nhiệm vụ thử nghiệm số {n}",
        deadline=deadline,
        deadline_kind=Task.DeadlineKind.DATE if deadline else Task.DeadlineKind.NONE,
        **extra,
    )


def assignment(task_=None, agency_=None, assigned_on=datetime.date(2023, 1, 19), **extra) -> Assignment:
    t = task_ or task()
    a = agency_ or agency()
    return Assignment.objects.create(task=t, agency=a, agency_name=a.name, assigned_on=assigned_on, **extra)


def approved_extension(assignment_, new_deadline, decided_on, requested_on=None) -> Extension:
    """An extension approved on `decided_on`, written directly (as the loader and simulation write
    history) and followed, as they are, by the explicit refresh of the deadline in force."""
    extension = Extension.objects.create(
        assignment=assignment_,
        requested_on=requested_on or decided_on,
        reason="Cần thêm thời gian",
        old_deadline=assignment_.task.deadline,
        new_deadline=new_deadline,
        status=Extension.Status.APPROVED,
        decided_on=decided_on,
    )
    refresh_deadlines(Assignment.objects.filter(pk=assignment_.pk))
    return extension
