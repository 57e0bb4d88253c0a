"""Video mediation on the case page: its panel (rooms held, recordings kept) is contributed
through core's case-page registry, so ``cases`` does not name this app. It listens to no
event: a room is opened by the mediator, not by a move of the case."""

from tiaojie.core import case_page

case_page.register_panel(case_page.CasePanel("video", "video:case_panel"))
