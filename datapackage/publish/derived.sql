-- Tables derived from the resources, computed once when the release is published,
-- in the order written here (a table page lists them in that order).

-- Every metric on which claims differ, each claim side by side with who made it, when, and its sources.
CREATE TABLE contested_figures AS
-- The contested (metric, case) pairs are listed once, then each statement is read in table
-- order and looked up among them: seconds for a million statements, not one index walk per pair.
WITH contested AS MATERIALIZED (
  SELECT metric, case_id FROM statements NOT INDEXED WHERE metric IS NOT NULL
  GROUP BY metric, case_id
  HAVING count(DISTINCT coalesce(value_min, '') || '-' || coalesce(value_max, '') || coalesce(qualifier, '')) > 1)
SELECT s.metric, s.value_min, s.value_max, s.qualifier, s.organisation, s.speaker, s.made_on,
       s.statement_id, s.source_ids,
       (SELECT group_concat(src.title, ' | ') FROM citations c JOIN sources src ON src.source_id = c.source_id
         WHERE c.resource = 'statements' AND c.row_id = s.statement_id) AS source_titles,
       s.case_id
FROM statements s NOT INDEXED
CROSS JOIN contested ON contested.metric = s.metric AND contested.case_id = s.case_id
ORDER BY s.metric, s.case_id, s.made_on_from IS NULL, s.made_on_from, s.statement_id;

-- One row per death: who, their rank, arrest and death, and whole days in custody when both days are known.
CREATE TABLE deaths_timeline AS
SELECT d.victim_id, v.name, v.rank, v.rank_as_written, d.date_of_arrest, d.date_of_death,
       CASE WHEN d.date_of_arrest_from = d.date_of_arrest_to AND d.date_of_death_from = d.date_of_death_to
            THEN CAST(julianday(d.date_of_death_from) - julianday(d.date_of_arrest_from) AS INTEGER) END
         AS days_in_custody,
       d.place, v.case_id, d.source_ids
FROM deaths d JOIN victims v ON v.victim_id = d.victim_id
ORDER BY coalesce(d.date_of_death_from, d.date_of_arrest_from) IS NULL,
         coalesce(d.date_of_death_from, d.date_of_arrest_from), v.name;
