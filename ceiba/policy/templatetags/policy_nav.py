"""The policy cycle's section navigation: the links of `policy/_section_nav.html` the viewer may use."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ceiba.common.access import principal_for

from ..progress_services import LEADER_ROLES

register = template.Library()

#: (URL name, label, who sees it: "all" or "leaders" -- action leaders and focal points).
SECTIONS: tuple[tuple[str, Any, str], ...] = (
    ("policy:home", _("Cycles"), "all"),
    ("policy:committee_list", _("Committee"), "all"),
    ("policy:meeting_list", _("Meetings"), "all"),
    ("policy:recommendation_list", _("Recommendations"), "all"),
    ("policy:recommendation_followup", _("Follow-up"), "all"),
    ("policy:progress_my_actions", _("My actions"), "leaders"),
    ("policy:calendar", _("Calendar (.ics)"), "all"),
)


@register.simple_tag(takes_context=True)
def policy_section_links(context: template.Context) -> list[dict[str, Any]]:
    """The section links for the viewer (no query for anonymous visitors; the principal, computed
    once per request, for others), the current one marked."""
    request = context.get("request")
    user = getattr(request, "user", None)
    principal = principal_for(user)
    path = getattr(request, "path", "")
    links = []
    for name, label, audience in SECTIONS:
        if audience == "leaders" and not principal.has_role(*LEADER_ROLES):
            continue
        url = reverse(name)
        links.append({"url": url, "label": label, "current": False, "download": url.endswith(".ics")})
    # The current section: the longest link the page's path starts with (the home only itself).
    matches = [
        link
        for link in links
        if path == link["url"]
        or (link["url"] != links[0]["url"] and link["url"].endswith("/") and path.startswith(link["url"]))
    ]
    if matches:
        max(matches, key=lambda link: len(link["url"]))["current"] = True
    return links
