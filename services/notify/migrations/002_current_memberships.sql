-- Currents a member belongs to (replica of members' current memberships), so announcements and
-- newsletters scoped to a current reach its members. Chapters stay in `memberships`.
CREATE TABLE current_memberships (
    member_id   text NOT NULL,
    current_id  text NOT NULL,
    PRIMARY KEY (member_id, current_id)
);
CREATE INDEX current_memberships_current ON current_memberships (current_id);
