"""Every page and every named partial resolves under the template loaders production uses (DEBUG off:
the cached loader inside the partials loader). Checked in a fresh process with the production settings,
since the loaders are chosen when the settings are read."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PARTIALDEF = re.compile(r"{%\s*partialdef\s+([\w-]+)")


def template_names() -> list[str]:
    names = []
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts:
            continue
        for path in folder.rglob("*.html"):
            name = path.relative_to(folder).as_posix()
            names.append(name)
            names.extend(f"{name}#{partial}" for partial in PARTIALDEF.findall(path.read_text()))
    return sorted(set(names))


def test_every_template_and_partial_resolves_with_debug_off():
    names = template_names()
    assert any("#" in name for name in names), "no {% partialdef %} found: the scan is broken"
    script = (
        "import sys, django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.template.loader import get_template\n"
        "assert not settings.DEBUG\n"
        "loaders = repr(settings.TEMPLATES[0]['OPTIONS']['loaders'])\n"
        "assert 'cached.Loader' in loaders, loaders\n"
        "for name in sys.stdin.read().split():\n"
        "    get_template(name)\n"
        "    get_template(name)  # the second time comes from the cache\n"
        "print('ok')\n"
    )
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "production-template-check-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "camau_tasks.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        input="\n".join(names),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
