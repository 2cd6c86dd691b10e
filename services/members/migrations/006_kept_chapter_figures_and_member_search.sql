-- Issue 15. The site at scale (100,000 members, 2,000 chapters).
--
-- Kept figures per chapter: active members (joined directly or through a sub-chapter, each
-- counted once), women among them, those who stated a gender. Changed by +1/-1 in the same
-- transaction as every change of a member's chapters, status or gender (service/figures.py);
-- recounted from memberships by the members worker, which corrects and logs any drift.
-- No row reads as zeros.
CREATE TABLE chapter_figures (
    chapter_id uuid PRIMARY KEY REFERENCES chapters (id) ON DELETE CASCADE,
    members    integer NOT NULL DEFAULT 0,
    women      integer NOT NULL DEFAULT 0,
    stated     integer NOT NULL DEFAULT 0
);

WITH RECURSIVE closure (ancestor_id, chapter_id) AS (
    SELECT id, id FROM chapters
    UNION ALL
    SELECT c.parent_id, cl.chapter_id
      FROM closure cl JOIN chapters c ON c.id = cl.ancestor_id
     WHERE c.parent_id IS NOT NULL
), effective AS (
    SELECT DISTINCT cl.ancestor_id AS chapter_id, m.member_id
      FROM memberships m JOIN closure cl ON cl.chapter_id = m.chapter_id
)
INSERT INTO chapter_figures (chapter_id, members, women, stated)
SELECT e.chapter_id, count(*), count(*) FILTER (WHERE mb.gender = 'woman'),
       count(*) FILTER (WHERE mb.gender IS NOT NULL)
  FROM effective e JOIN members mb ON mb.id = e.member_id AND mb.status = 'active'
 GROUP BY e.chapter_id;

-- The members of a large chapter (the international one: everyone), a page at a time in name
-- order (store/memberships.py, chapter_members).
CREATE INDEX members_by_name ON members (display_name, id);

-- Admin member search (`ILIKE '%words%'` on name and address): trigram indexes, when the
-- pg_trgm extension can be had (it ships with PostgreSQL's contrib and is trusted since 13,
-- so a database owner may create it). Without it the search stays a sequential scan.
DO $$
DECLARE
    trgm_schema text;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%): member search stays unindexed', SQLERRM;
    END;
    SELECT n.nspname INTO trgm_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_trgm';
    IF trgm_schema IS NOT NULL THEN
        EXECUTE format(
            'CREATE INDEX IF NOT EXISTS members_display_name_trgm ON members'
            ' USING gin (display_name %I.gin_trgm_ops)', trgm_schema);
        EXECUTE format(
            'CREATE INDEX IF NOT EXISTS members_email_trgm ON members'
            ' USING gin (email %I.gin_trgm_ops)', trgm_schema);
    END IF;
END
$$;
