"""The campaign pages: HR's campaigns (hr), their dashboards (dashboard, with the SVG
chart of chart), exemptions with four eyes (exemptions) and a manager's team page
(team)."""
