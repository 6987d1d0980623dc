"""Shared set-up for the workflow tests: one task built through the services, as the office would."""

import datetime

from directives.models import Agency, Directive
from tracking import services

from .conftest import TODAY


def office_task(
    office, *, lead="SKHDT", supporters=("STC",), deadline=None, text="Tham mưu kế hoạch thử nghiệm"
):
    """A task created by the office: `lead` leads, `supporters` support, deadline 10 days from today."""
    directive = Directive.objects.get(reference="01/CTr-UBND")
    leads = list(Agency.objects.filter(code__in=[lead] if isinstance(lead, str) else lead))
    deadline = deadline if deadline is not None else TODAY + datetime.timedelta(days=10)
    task = services.create_task(
        office,
        directive,
        leads=leads,
        supporters=list(Agency.objects.filter(code__in=supporters)),
        clause="T.1",
        item=services_next_item(directive),
        text=text,
        deadline_kind="date",
        deadline=deadline,
        deadline_text="",
        recurrence="",
        leader=None,
    )
    return task, task.assignments.get(agency__code=leads[0].code)


def services_next_item(directive) -> int:
    last = directive.tasks.filter(clause="T.1").order_by("-item").values_list("item", flat=True).first()
    return (last or 0) + 1
