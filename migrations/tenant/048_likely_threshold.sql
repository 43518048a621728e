-- The default threshold of a `likely` potential match went from 0.5 to 0.6
-- (matching.LikelyDefault; docs/matching.md, Labels). A tenant that has not
-- stored a matching configuration of its own labels by the default, so its
-- stored matches between the two are relabelled `possible` now rather than
-- at its next re-matching: the review queue filters on the stored label. A
-- tenant with a stored configuration keeps the thresholds it chose, and its
-- labels.
update potential_matches set label = 'possible'
where label = 'likely' and probability < 0.6 and not exists (select from matching_configuration);

---- create above / drop below ----

update potential_matches set label = 'likely'
where label = 'possible' and probability >= 0.5 and not exists (select from matching_configuration);
