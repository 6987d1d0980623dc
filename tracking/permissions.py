"""Who may do what: the one place that decides (DOMAIN.md, "Who uses it").

Reading: every signed-in user may read the whole programme (that openness is normal in these
reports). Writing is decided here too as the write actions arrive; views never decide by themselves.
"""

from django.shortcuts import get_object_or_404

from directives.models import Task


def can_read_programme(user) -> bool:
    return user.is_authenticated and user.is_active


def get_task_for_user(request, pk: int) -> Task:
    """The task for a read view, with what its page shows joined in; 404 if it does not exist."""
    queryset = Task.objects.select_related("directive", "leader")
    return get_object_or_404(queryset, pk=pk)
