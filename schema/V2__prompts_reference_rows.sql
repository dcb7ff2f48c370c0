-- The three reference rows that production's first migration (001_initial_schema) put into prompts.
-- Facts kept from production: name, prompt_type, version 1, active, created_by NULL.
-- The production template and description texts are not part of the facts this project was given;
-- the texts below stand in for them and are marked as such. Ids and timestamps come from the column defaults.
INSERT INTO public.prompts (name, description, template, version, is_active, prompt_type, created_by) VALUES
    ('resume_analysis_system',
     'System prompt for resume analysis (reference row; text stands in for production''s)',
     'You are an expert resume reviewer. Analyse the resume objectively and return structured feedback.',
     1, true, 'system', NULL),
    ('content_analysis',
     'Content analysis prompt (reference row; text stands in for production''s)',
     'Analyse the content of this resume for the target role {target_role} in {target_industry}: {resume_text}',
     1, true, 'content', NULL),
    ('formatting_analysis',
     'Formatting analysis prompt (reference row; text stands in for production''s)',
     'Assess the structure, layout and formatting of this resume: {resume_text}',
     1, true, 'formatting', NULL);
