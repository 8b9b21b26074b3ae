"""Set-based SQL that turns a staged batch into facts, one statement per fact table (same SQL on both databases).

`{S}` is the staging table, whose rows already carry the id of the source record written for them (`_source_id`)
and their person (`_person_id`): a fact reaches its department, file, row and valid-from date through
`source_id` without a join per row.
"""

from __future__ import annotations

from cradle.health.feeds import FACT_SQL as HEALTH_FACT_SQL

_FP = ("only_child_certificate", "rural_two_daughters", "special_bereaved", "special_disabled", "fp_revoke")


def _in(events: tuple[str, ...]) -> str:
    return "s.event IN (" + ", ".join(f"'{e}'" for e in events) + ")"


FACT_SQL: dict[str, list[str]] = {
    "gongan": [
        """INSERT INTO registry_hukou_event
            (source_id, person_id, event, region, household_no, relation_to_head, hukou_type, valid_from)
            SELECT s._source_id, s._person_id, s.event, s.hukou_region, s.household_no, s.relation_to_head, s.hukou_type,
                   s.event_date FROM {S} s""",
        """INSERT INTO registry_death (source_id, person_id, death_date, region)
            SELECT s._source_id, s._person_id, s.event_date, s.hukou_region FROM {S} s WHERE s.event = 'death'""",
        """INSERT INTO registry_identity_fact (source_id, person_id, name, sex, birth_date, valid_from)
            SELECT s._source_id, s._person_id, s.name, s.sex, s.birth_date, s.event_date
            FROM {S} s WHERE s.event = 'correct'""",
    ],
    "weijian": [
        """INSERT INTO registry_birth (source_id, child_id, mother_id, father_id, birth_date, region, birth_order,
                                        babies, delivery_mode, dystocia, in_policy_cost)
            SELECT s._source_id, s._person_id, m.id, f.id, s.birth_date, s.region, s.birth_order, COALESCE(s.babies, 1),
                   s.delivery_mode, COALESCE(s.dystocia, false), s.in_policy_cost
            FROM {S} s
            JOIN registry_person m ON m.id_number = s.mother_id_number
            LEFT JOIN registry_person f ON f.id_number = s.father_id_number
            WHERE s.event = 'birth'""",
        """INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from)
            SELECT s._source_id, 'mother', s._person_id, m.id, s.event_date FROM {S} s
            JOIN registry_person m ON m.id_number = s.mother_id_number WHERE s.event = 'birth'""",
        """INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from)
            SELECT s._source_id, 'father', s._person_id, f.id, s.event_date FROM {S} s
            JOIN registry_person f ON f.id_number = s.father_id_number WHERE s.event = 'birth'""",
        f"""INSERT INTO registry_family_planning (source_id, person_id, status, event, valid_from)
            SELECT s._source_id, s._person_id, CASE WHEN s.event = 'fp_revoke' THEN 'all' ELSE s.event END,
                   CASE WHEN s.event = 'fp_revoke' THEN 'revoke' ELSE 'grant' END, s.event_date
            FROM {{S}} s WHERE {_in(_FP)}""",
    ],
    "minzheng": [
        f"""INSERT INTO registry_marriage (source_id, person_id, spouse_id, event, region, valid_from)
            SELECT s._source_id, s._person_id, sp.id, s.event, s.region, s.event_date FROM {{S}} s
            JOIN registry_person sp ON sp.id_number = s.spouse_id_number WHERE {_in(("marriage", "divorce"))}""",
        """INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from)
            SELECT s._source_id, 'spouse', s._person_id, sp.id, s.event_date FROM {S} s
            JOIN registry_person sp ON sp.id_number = s.spouse_id_number WHERE s.event = 'marriage'""",
        """INSERT INTO registry_death (source_id, person_id, death_date, region)
            SELECT s._source_id, s._person_id, s.event_date, s.region FROM {S} s WHERE s.event = 'death'""",
        # 收养登记: the child's relation to the parent who adopted it, dated
        """INSERT INTO registry_relation (source_id, relation, person_id, relative_id, valid_from, adopted_on)
            SELECT s._source_id, CASE WHEN s.adopter_sex = 'F' THEN 'mother' ELSE 'father' END, s._person_id, ad.id,
                   s.event_date, s.event_date FROM {S} s
            JOIN registry_person ad ON ad.id_number = s.adopter_id_number WHERE s.event = 'adoption'""",
        f"""INSERT INTO registry_assistance (source_id, person_id, kind, event, valid_from)
            SELECT s._source_id, s._person_id, CASE WHEN s.event = 'orphan' THEN 'orphan' ELSE 'low_income' END,
                   CASE WHEN s.event = 'low_income_end' THEN 'end' ELSE 'start' END, s.event_date
            FROM {{S}} s WHERE {_in(("low_income_start", "low_income_end", "orphan"))}""",
    ],
    "jiaoyu": [
        """INSERT INTO registry_care_enrolment (source_id, person_id, care_type, event, institution_code,
                                                 institution_name, public, inclusive, registered, valid_from)
            SELECT s._source_id, s._person_id, s.care_type, s.event, s.institution_code, s.institution_name, s.public,
                   s.inclusive, s.registered, s.event_date FROM {S} s""",
    ],
    "yibao": [
        """INSERT INTO registry_insurance (source_id, person_id, scheme, event, region, valid_from)
            SELECT s._source_id, s._person_id, s.scheme, s.event, s.region, s.event_date FROM {S} s""",
    ],
    "renshe": [
        """INSERT INTO registry_employment (source_id, person_id, status, employer_code, employer_avg_monthly_wage,
                                             valid_from)
            SELECT s._source_id, s._person_id,
                   CASE s.event WHEN 'employed' THEN 'employee' WHEN 'flexible' THEN 'flexible' ELSE 'none' END,
                   s.employer_code, s.employer_avg_monthly_wage, s.event_date FROM {S} s""",
    ],
    "tongji": [
        """INSERT INTO registry_residence (source_id, person_id, region, valid_from)
            SELECT s._source_id, s._person_id, s.region, s.event_date FROM {S} s""",
    ],
}
FACT_SQL.update(HEALTH_FACT_SQL)  # the 妇幼 feeds store into the health domain's tables
