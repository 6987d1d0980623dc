import pytest

from targets.loading import load_targets
from targets.models import Target


@pytest.fixture
def targets(programme):
    """The real targets of the data file, loaded as `load_camau_2023` loads them, by code."""
    load_targets()
    return {t.code: t for t in Target.objects.select_related("responsible_agency")}
