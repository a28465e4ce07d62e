"""The Analysis, Compare and What-if tabs with the corridor network's tables added under them.

The panels themselves stay as their owners wrote them; these wrappers add the network's part
after each, so ``app.py`` lists one function per tab.
"""

from __future__ import annotations

from corridors.ui import analysis, compare_panel, network_panel, whatif_panel
from corridors.ui.page import PageContext


def show_analysis_tab(ctx: PageContext) -> None:
    """Draw the Analysis tab, then the selected corridor's border crossings and gauge breaks."""
    analysis.show_analysis(ctx)
    if ctx.view.selected is not None:
        network_panel.show_corridor_waits(ctx, ctx.view.selected)


def show_compare_tab(ctx: PageContext) -> None:
    """Draw the Compare tab, then each corridor's crossings, gauge breaks and their days."""
    compare_panel.show_compare(ctx.dataset, ctx.analyses)
    network_panel.show_corridor_summary(ctx)


def show_whatif_tab(ctx: PageContext) -> None:
    """Draw the What-if tab: which routes still run, then where every trip goes instead."""
    whatif_panel.show_whatif(ctx.dataset, ctx.analyses, ctx.exposure, ctx.network)
    network_panel.show_detours(ctx)
