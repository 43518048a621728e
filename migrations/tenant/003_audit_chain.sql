-- Placeholder: the audit hash-chain migration replaces this file.
select 1;
