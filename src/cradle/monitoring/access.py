"""Who may use what in monitoring. Dashboards, reports and the published plan board are public."""

from __future__ import annotations

from cradle.auth import roles

# Entering indicator data: an official (or a department's clerk) whose scope holds every region written.
ENTRY_ROLES = (roles.TOWN, roles.COUNTY, roles.CITY, roles.PROVINCE, roles.DEPT, roles.ADMIN)
# The plan's pages, the survey and the what-if: the county and the levels above, the departments, auditors
# (reading) and administrators. Reports on plan tasks are the departments' (the plan service says which).
STAFF_ROLES = (roles.COUNTY, roles.CITY, roles.PROVINCE, roles.DEPT, roles.AUDITOR, roles.ADMIN)
# Drawing the survey sample and entering its field results; starting what-if and batch runs.
SURVEY_ROLES = (roles.COUNTY, roles.CITY, roles.PROVINCE, roles.DEPT, roles.ADMIN)
