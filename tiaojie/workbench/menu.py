"""The menu: the domain apps' pages, each for the capability (and the organisation kinds) that
uses it, in the order the menu lists them. It lives here, above every domain app, so that
``core`` (which shows the menu) names none of them; ``WorkbenchConfig.ready`` registers it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiaojie.accounts.roles import Capability
from tiaojie.cases.services import intake
from tiaojie.core.menu import NavItem
from tiaojie.organisations.choices import OrganisationKind

# The pages of supervision are for staff of the network, not for grid workers (who report).
STAFF_KINDS = frozenset(
    {
        OrganisationKind.CITY_BUREAU,
        OrganisationKind.DISTRICT_BUREAU,
        OrganisationKind.JUSTICE_OFFICE,
        OrganisationKind.COMMITTEE,
    }
)

# The headings of the menu bar, each over the pages of one part of the work.
CASES = pgettext_lazy("menu section", "Case handling")
SUPERVISION = pgettext_lazy("menu section", "Supervision")
SCREENING = pgettext_lazy("menu section", "Screening and warning")
PEOPLE = pgettext_lazy("menu section", "Mediators and committees")
STATISTICS = pgettext_lazy("menu section", "Statistics")
SYSTEM = pgettext_lazy("menu section", "System")

NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Home"), "workbench:home", None, "home"),
    NavItem(_("Cases"), "cases:case_list", Capability.CASE_CONTENT, "cases", section=CASES),
    NavItem(
        _("Register a dispute"),
        "cases:case_register",
        Capability.CASE_REGISTER,
        "plus",
        when=intake.has_intake,
        section=CASES,
    ),
    NavItem(_("Intake queue"), "routing:queue", Capability.CASE_ROUTE, "inbox", section=CASES),
    NavItem(
        _("Online applications"),
        "public:online_cases",
        Capability.CASE_CONTENT,
        "phone",
        STAFF_KINDS,
        section=CASES,
    ),
    NavItem(
        _("Meeting times"),
        "public:slots",
        Capability.CASE_HANDLE,
        "calendar",
        STAFF_KINDS,
        section=CASES,
    ),
    NavItem(_("Transfers"), "routing:transfers", Capability.CASE_ASSIGN, "swap", section=CASES),
    NavItem(
        _("Deadlines"),
        "deadlines:deadline_list",
        Capability.CASE_CONTENT,
        "clock",
        STAFF_KINDS,
        section=SUPERVISION,
    ),
    NavItem(
        _("Ledger"),
        "supervision:ledger",
        Capability.CASE_CONTENT,
        "book",
        STAFF_KINDS,
        section=SUPERVISION,
    ),
    NavItem(
        _("Supervised cases"),
        "supervision:supervision_list",
        Capability.CASE_CONTENT,
        "flag",
        STAFF_KINDS,
        section=SUPERVISION,
    ),
    NavItem(
        _("Accountability report"),
        "supervision:trace_report",
        Capability.CASE_SUPERVISE,
        "trace",
        section=SUPERVISION,
    ),
    NavItem(
        _("My reviews"), "reviews:my_reviews", Capability.REVIEW_SCORE, "check", section=SUPERVISION
    ),
    NavItem(
        _("Case-file review"),
        "reviews:round_list",
        Capability.REVIEW_MANAGE,
        "clipboard",
        section=SUPERVISION,
    ),
    NavItem(
        _("Screening"),
        "screening:round_list",
        Capability.CASE_REGISTER,
        "search",
        section=SCREENING,
    ),
    # The phone app grid workers report from (offline too); the committees use the round pages.
    NavItem(
        _("Field reports"),
        "screening:field_app",
        Capability.CASE_REGISTER,
        "phone",
        frozenset({OrganisationKind.GRID}),
        section=SCREENING,
    ),
    NavItem(
        _("Overdue screening"),
        "screening:overdue",
        Capability.CASE_SUPERVISE,
        "clock",
        section=SCREENING,
    ),
    NavItem(
        _("Campaigns"),
        "screening:campaign_list",
        Capability.CASE_REGISTER,
        "flag",
        section=SCREENING,
    ),
    NavItem(
        _("Early warning"), "screening:risks", Capability.CASE_SUPERVISE, "flag", section=SCREENING
    ),
    NavItem(
        _("Mediator roster"),
        "mediators:mediator_list",
        Capability.MEDIATOR_VIEW,
        "users",
        section=PEOPLE,
    ),
    NavItem(
        _("Training"),
        "mediators:training_report",
        Capability.MEDIATOR_VIEW,
        "calendar",
        section=PEOPLE,
    ),
    NavItem(
        _("Committees below the staffing norms"),
        "mediators:staffing_report",
        Capability.MEDIATOR_VIEW,
        "shield",
        section=PEOPLE,
    ),
    NavItem(
        _("Mediators' insurance"),
        "mediators:insurance_report",
        Capability.MEDIATOR_VIEW,
        "shield",
        section=PEOPLE,
    ),
    NavItem(
        _("Mediator evaluations"),
        "mediators:evaluation_list",
        Capability.MEDIATOR_VIEW,
        "chart",
        section=PEOPLE,
    ),
    NavItem(
        _("Grade promotions"),
        "mediators:promotion_list",
        Capability.MEDIATOR_VIEW,
        "star",
        section=PEOPLE,
    ),
    NavItem(
        _("Honours register"),
        "mediators:honour_list",
        Capability.MEDIATOR_VIEW,
        "star",
        section=PEOPLE,
    ),
    NavItem(
        _("Expert pools"), "mediators:pool_list", Capability.MEDIATOR_VIEW, "users", section=PEOPLE
    ),
    NavItem(
        _("Committee standards"),
        "mediators:committee_standards",
        Capability.MEDIATOR_VIEW,
        "shield",
        section=PEOPLE,
    ),
    NavItem(
        _("Case subsidies"),
        "subsidies:sheet_list",
        Capability.SUBSIDY_VIEW,
        "coins",
        section=PEOPLE,
    ),
    NavItem(
        _("Statistics"),
        "statistics:report",
        Capability.CASE_CONTENT,
        "chart",
        STAFF_KINDS,
        section=STATISTICS,
    ),
    NavItem(
        _("Statistics dashboard"),
        "statistics:dashboard",
        Capability.CASE_CONTENT,
        "chart",
        STAFF_KINDS,
        section=STATISTICS,
    ),
    NavItem(
        _("Organisations"),
        "organisations:tree",
        Capability.ORGANISATION_VIEW,
        "tree",
        section=SYSTEM,
    ),
    NavItem(
        _("Accounts"), "accounts:user_list", Capability.ACCOUNT_MANAGE, "users", section=SYSTEM
    ),
    NavItem(
        _("Account security"),
        "accounts:user_list",
        Capability.ACCOUNT_SECURE,
        "shield",
        section=SYSTEM,
    ),
    NavItem(_("Audit trail"), "audit:event_list", Capability.AUDIT_VIEW, "log", section=SYSTEM),
    NavItem(
        _("Mediators' expertise"),
        "routing:expertise",
        Capability.CASE_ASSIGN,
        "star",
        group="settings",
    ),
    NavItem(
        _("Subsidy rules"),
        "subsidies:rule_list",
        Capability.SUBSIDY_CONFIGURE,
        "rules",
        group="settings",
    ),
    NavItem(
        _("Staffing norms"),
        "mediators:staffing_norms",
        Capability.RULES_CONFIGURE,
        "rules",
        frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
        group="settings",
    ),
    NavItem(
        _("Training rule"),
        "mediators:training_rule",
        Capability.RULES_CONFIGURE,
        "rules",
        frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
        group="settings",
    ),
    NavItem(
        _("Evaluation weights"),
        "mediators:evaluation_weights",
        Capability.RULES_CONFIGURE,
        "rules",
        frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
        group="settings",
    ),
    NavItem(
        _("Committee checklists"),
        "mediators:committee_settings",
        Capability.RULES_CONFIGURE,
        "rules",
        frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
        group="settings",
    ),
    NavItem(
        _("Grade ladder"),
        "mediators:grade_ladder",
        Capability.RULES_CONFIGURE,
        "rules",
        frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
        group="settings",
    ),
    NavItem(
        _("Routing rules"), "routing:rules", Capability.RULES_CONFIGURE, "rules", group="settings"
    ),
    NavItem(
        _("Deadline rules"),
        "deadlines:rule_list",
        Capability.RULES_CONFIGURE,
        "rules",
        group="settings",
    ),
    NavItem(
        _("Screening schedule"),
        "screening:schedule",
        Capability.RULES_CONFIGURE,
        "calendar",
        group="settings",
    ),
    NavItem(
        _("Working-day calendar"),
        "deadlines:calendar_list",
        Capability.RULES_CONFIGURE,
        "calendar",
        group="settings",
    ),
    NavItem(
        _("Personal-information request"),
        "cases:person_request",
        Capability.PERSONAL_INFO_REQUEST,
        "shield",
        group="settings",
    ),
    NavItem(
        _("Import tree"),
        "organisations:import",
        Capability.ORGANISATION_IMPORT,
        "upload",
        group="settings",
    ),
    NavItem(
        _("Document templates"),
        "documents:template_list",
        Capability.ORGANISATION_MANAGE,
        "file",
        frozenset({OrganisationKind.CITY_BUREAU, OrganisationKind.DISTRICT_BUREAU}),
        group="settings",
    ),
)
