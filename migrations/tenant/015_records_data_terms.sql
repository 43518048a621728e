-- Which configured values records hold, indexed, so that a configuration
-- change can refuse to remove a field, an option or a location that records
-- use without reading every record (docs/configuration.md, "Values records
-- use"). record_data_terms(data) lists, for a record's data:
--   <field>                 every top-level key;
--   <subform>.<field>       every key of a subform row (but the row's unique_id);
--   <path>=<value>          every string value of at most 100 characters of
--                           those keys (a select's or radio's option id, a
--                           location code), every string of an array (a
--                           multi-select's ids) and every key of an object
--                           (a tally's option ids).
-- Option ids and location codes are at most 100 characters; longer strings
-- (free text) would only bloat the index. A probe is one GIN lookup:
--   record_type = 'case' and record_data_terms(data) @> array['sex=female']
-- The function uses built-in functions only (an index expression must not
-- depend on the search_path). PL/pgSQL, not SQL: planning the equivalent SQL
-- query (lateral joins over jsonb_each) took seconds per call.
create function record_data_terms(data jsonb) returns text[]
language plpgsql immutable strict parallel safe as $$
declare
    paths text[] := '{}';
    vals jsonb[] := '{}';
    terms text[] := '{}';
    k text;
    v jsonb;
    e jsonb;
    rk text;
    rv jsonb;
    s text;
begin
    if jsonb_typeof(data) <> 'object' then
        return terms;
    end if;
    for k, v in select * from jsonb_each(data) loop
        paths := array_append(paths, k);
        vals := array_append(vals, v);
        if jsonb_typeof(v) = 'array' then
            for e in select * from jsonb_array_elements(v) loop
                if jsonb_typeof(e) = 'object' then
                    for rk, rv in select * from jsonb_each(e) loop
                        if rk <> 'unique_id' then
                            paths := array_append(paths, k || '.' || rk);
                            vals := array_append(vals, rv);
                        end if;
                    end loop;
                end if;
            end loop;
        end if;
    end loop;
    for i in 1 .. coalesce(array_length(paths, 1), 0) loop
        terms := array_append(terms, paths[i]);
        v := vals[i];
        case jsonb_typeof(v)
        when 'string' then
            s := v #>> '{}';
            if length(s) <= 100 then
                terms := array_append(terms, paths[i] || '=' || s);
            end if;
        when 'array' then
            for e in select * from jsonb_array_elements(v) loop
                if jsonb_typeof(e) = 'string' and length(e #>> '{}') <= 100 then
                    terms := array_append(terms, paths[i] || '=' || (e #>> '{}'));
                end if;
            end loop;
        when 'object' then
            for s in select * from jsonb_object_keys(v) loop
                if length(s) <= 100 then
                    terms := array_append(terms, paths[i] || '=' || s);
                end if;
            end loop;
        else
            null;
        end case;
    end loop;
    return array(select distinct t from unnest(terms) t);
end
$$;

create index records_data_terms_idx on records using gin (record_data_terms(data));

---- create above / drop below ----

drop index records_data_terms_idx;
drop function record_data_terms(jsonb);
