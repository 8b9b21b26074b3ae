"""The annual monitoring report and the scorecard the dashboards share with it."""
