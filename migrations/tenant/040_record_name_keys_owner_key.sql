-- The owner in the key of record_name_keys_key_idx, after the name key:
-- an agency's or group's phonetic search reads the entries of its scope's
-- owners (one descent per owner, "owner_id = any(...)" as an index
-- condition) instead of every entry of the key filtered by a hashed probe
-- of the scope (at a million cases, the key of Mohamed has 190,000
-- entries, 31,720 of them in one agency's scope: docs/records.md, Session
-- 23). A search of the whole tenant reads the key's range as before; the
-- records reached through another access row are the second branch
-- (records.keyedSetSQL), found by id.
drop index record_name_keys_key_idx;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, owner_id, id)
    include (enabled, hidden_name, module_id, updated_at, record_keys);

---- create above / drop below ----

drop index record_name_keys_key_idx;
create index record_name_keys_key_idx on record_name_keys (record_type, name_key, id)
    include (enabled, hidden_name, module_id, owner_id, updated_at, record_keys);
