-- :name in any common spelling; person_match and search_match fold it as the index does.
with person as (
  select rowid from victims_fts where victims_fts match person_match(:name)
)
select 'victim' as kind, v.victim_id as id, v.name as who, null as date,
       coalesce(v.rank_as_written || ': ', '') || v.what_happened as what, v.source_ids
  from victims v where v.rowid in person
union all
select 'death', d.victim_id, v.name, coalesce(d.date_of_death, d.date_of_arrest),
       'arrested ' || coalesce(d.date_of_arrest, '?') || ', died ' || coalesce(d.date_of_death, '?')
         || coalesce('; ' || d.reported_cause, ''), d.source_ids
  from deaths d join victims v on v.victim_id = d.victim_id where v.rowid in person
union all
select 'court decision', t.trial_id, coalesce(t.defendant, v.name), t.decided_on,
       t.court || ', ' || t.outcome || ': ' || t.summary, t.source_ids
  from trials t left join victims v on v.victim_id = t.victim_id
  -- One set of rowids, each half found through an index: an OR across the join
  -- would read every court decision (seconds at a million people).
  where t.rowid in (select tp.rowid from trials tp join victims vp on vp.victim_id = tp.victim_id
                    where vp.rowid in person
                    union select rowid from trials_fts where trials_fts match person_match(:name))
union all
select 'statement', s.statement_id, coalesce(s.speaker, s.organisation), s.made_on, s.summary, s.source_ids
  from statements s
  where s.rowid in (select rowid from statements_fts where statements_fts match search_match(:name))
