-- Production structure, schema version v1.0.
-- Derived from pg_dump output by schema/derive-from-pg-dump.sh: session settings, owners and
-- pg_dump's comments removed, every statement kept as PostgreSQL printed it. Do not edit by hand;
-- after a DDL change in production add a new versioned file instead (see README.md).

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

COMMENT ON EXTENSION "uuid-ossp" IS 'generate universally unique identifiers (UUIDs)';

CREATE FUNCTION public.cleanup_expired_refresh_tokens() RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    deleted_count integer;
BEGIN
    -- Delete tokens that have been expired for more than 30 days
    DELETE FROM refresh_tokens 
    WHERE status = 'expired' 
    AND expires_at < CURRENT_TIMESTAMP - INTERVAL '30 days';
    
    GET DIAGNOSTICS deleted_count = ROW_COUNT;
    
    -- Also delete revoked tokens older than 7 days
    WITH revoked_delete AS (
        DELETE FROM refresh_tokens 
        WHERE status = 'revoked' 
        AND created_at < CURRENT_TIMESTAMP - INTERVAL '7 days'
        RETURNING 1
    )
    SELECT deleted_count + (SELECT COUNT(*) FROM revoked_delete) INTO deleted_count;
    
    RETURN deleted_count;
END;
$$;

CREATE FUNCTION public.cleanup_old_file_uploads() RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    deleted_count integer;
BEGIN
    -- Delete completed uploads older than 30 days
    DELETE FROM file_uploads 
    WHERE status = 'completed' 
    AND completed_at < CURRENT_TIMESTAMP - INTERVAL '30 days';
    
    GET DIAGNOSTICS deleted_count = ROW_COUNT;
    
    -- Delete failed uploads older than 7 days
    WITH error_delete AS (
        DELETE FROM file_uploads 
        WHERE status = 'error' 
        AND created_at < CURRENT_TIMESTAMP - INTERVAL '7 days'
        RETURNING 1
    )
    SELECT deleted_count + (SELECT COUNT(*) FROM error_delete) INTO deleted_count;
    
    -- Delete stuck processing uploads older than 1 day
    WITH stuck_delete AS (
        DELETE FROM file_uploads 
        WHERE status IN ('pending', 'validating', 'extracting') 
        AND created_at < CURRENT_TIMESTAMP - INTERVAL '1 day'
        RETURNING 1
    )
    SELECT deleted_count + (SELECT COUNT(*) FROM stuck_delete) INTO deleted_count;
    
    RETURN deleted_count;
END;
$$;

CREATE FUNCTION public.expire_refresh_tokens() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE refresh_tokens 
    SET status = 'expired' 
    WHERE expires_at < CURRENT_TIMESTAMP 
    AND status = 'active';
END;
$$;

CREATE FUNCTION public.get_upload_statistics(user_id_param uuid DEFAULT NULL::uuid) RETURNS TABLE(total_uploads bigint, completed_uploads bigint, failed_uploads bigint, pending_uploads bigint, avg_processing_time_ms numeric, total_file_size_mb numeric)
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN QUERY
    SELECT 
        COUNT(*) as total_uploads,
        COUNT(*) FILTER (WHERE status = 'completed') as completed_uploads,
        COUNT(*) FILTER (WHERE status = 'error') as failed_uploads,
        COUNT(*) FILTER (WHERE status IN ('pending', 'validating', 'extracting')) as pending_uploads,
        ROUND(AVG(processing_time), 2) as avg_processing_time_ms,
        ROUND(SUM(file_size) / (1024.0 * 1024.0), 2) as total_file_size_mb
    FROM file_uploads
    WHERE (user_id_param IS NULL OR user_id = user_id_param);
END;
$$;

CREATE FUNCTION public.limit_user_sessions() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Count active sessions for the user
    IF (SELECT COUNT(*) FROM refresh_tokens 
        WHERE user_id = NEW.user_id 
        AND status = 'active' 
        AND expires_at > CURRENT_TIMESTAMP) >= 3 THEN
        
        -- Revoke oldest session to make room for new one
        UPDATE refresh_tokens 
        SET status = 'revoked' 
        WHERE id = (
            SELECT id FROM refresh_tokens 
            WHERE user_id = NEW.user_id 
            AND status = 'active' 
            AND expires_at > CURRENT_TIMESTAMP
            ORDER BY created_at ASC 
            LIMIT 1
        );
    END IF;
    
    RETURN NEW;
END;
$$;

CREATE FUNCTION public.update_file_upload_timestamp() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

CREATE FUNCTION public.update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at = NOW();
    RETURN NEW;
END;
$$;

CREATE TABLE public.analysis_requests (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    user_id uuid NOT NULL,
    original_filename character varying(255) NOT NULL,
    file_path character varying(500) NOT NULL,
    file_size_bytes integer NOT NULL,
    mime_type character varying(100) NOT NULL,
    status character varying(50) DEFAULT 'pending'::character varying NOT NULL,
    target_role character varying(255),
    target_industry character varying(255),
    experience_level character varying(50),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone,
    CONSTRAINT analysis_requests_experience_level_check CHECK (((experience_level)::text = ANY ((ARRAY['entry'::character varying, 'mid'::character varying, 'senior'::character varying, 'executive'::character varying])::text[]))),
    CONSTRAINT analysis_requests_status_check CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'processing'::character varying, 'completed'::character varying, 'failed'::character varying])::text[])))
);

CREATE TABLE public.analysis_results (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    request_id uuid NOT NULL,
    overall_score integer,
    strengths text[],
    weaknesses text[],
    recommendations text[],
    formatting_score integer,
    content_score integer,
    keyword_optimization_score integer,
    detailed_feedback jsonb,
    ai_model_used character varying(100) NOT NULL,
    processing_time_ms integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT analysis_results_content_score_check CHECK (((content_score >= 0) AND (content_score <= 100))),
    CONSTRAINT analysis_results_formatting_score_check CHECK (((formatting_score >= 0) AND (formatting_score <= 100))),
    CONSTRAINT analysis_results_keyword_optimization_score_check CHECK (((keyword_optimization_score >= 0) AND (keyword_optimization_score <= 100))),
    CONSTRAINT analysis_results_overall_score_check CHECK (((overall_score >= 0) AND (overall_score <= 100)))
);

CREATE TABLE public.file_uploads (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    filename character varying(255) NOT NULL,
    original_filename character varying(255) NOT NULL,
    mime_type character varying(100) NOT NULL,
    file_size integer NOT NULL,
    file_hash character varying(64) NOT NULL,
    status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    progress integer DEFAULT 0,
    error_message text,
    target_role character varying(255),
    target_industry character varying(255),
    experience_level character varying(20),
    extracted_text text,
    word_count integer,
    character_count integer,
    extraction_method character varying(50),
    detected_sections jsonb,
    processing_time integer,
    validation_time integer,
    extraction_time integer,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    completed_at timestamp with time zone,
    CONSTRAINT chk_file_uploads_experience_level CHECK ((((experience_level)::text = ANY ((ARRAY['junior'::character varying, 'mid'::character varying, 'senior'::character varying])::text[])) OR (experience_level IS NULL))),
    CONSTRAINT chk_file_uploads_file_size_positive CHECK ((file_size > 0)),
    CONSTRAINT chk_file_uploads_progress_range CHECK (((progress >= 0) AND (progress <= 100))),
    CONSTRAINT chk_file_uploads_status_values CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'validating'::character varying, 'extracting'::character varying, 'completed'::character varying, 'error'::character varying])::text[])))
);

COMMENT ON TABLE public.file_uploads IS 'Stores file upload records for resume processing with async pipeline';

COMMENT ON COLUMN public.file_uploads.id IS 'Primary key for file upload record';

COMMENT ON COLUMN public.file_uploads.user_id IS 'Foreign key reference to users table';

COMMENT ON COLUMN public.file_uploads.filename IS 'Stored filename (may be different from original)';

COMMENT ON COLUMN public.file_uploads.original_filename IS 'Original filename as uploaded by user';

COMMENT ON COLUMN public.file_uploads.mime_type IS 'MIME type detected during validation';

COMMENT ON COLUMN public.file_uploads.file_size IS 'File size in bytes';

COMMENT ON COLUMN public.file_uploads.file_hash IS 'SHA256 hash for file integrity and duplicate detection';

COMMENT ON COLUMN public.file_uploads.status IS 'Processing status: pending -> validating -> extracting -> completed/error';

COMMENT ON COLUMN public.file_uploads.progress IS 'Processing progress percentage (0-100)';

COMMENT ON COLUMN public.file_uploads.error_message IS 'Error message if processing failed';

COMMENT ON COLUMN public.file_uploads.target_role IS 'Optional target role for resume analysis';

COMMENT ON COLUMN public.file_uploads.target_industry IS 'Optional target industry for resume analysis';

COMMENT ON COLUMN public.file_uploads.experience_level IS 'Optional experience level: junior, mid, senior';

COMMENT ON COLUMN public.file_uploads.extracted_text IS 'Extracted text content from the file';

COMMENT ON COLUMN public.file_uploads.word_count IS 'Number of words in extracted text';

COMMENT ON COLUMN public.file_uploads.character_count IS 'Number of characters in extracted text';

COMMENT ON COLUMN public.file_uploads.extraction_method IS 'Method used for text extraction (e.g., pdfplumber, pypdf2)';

COMMENT ON COLUMN public.file_uploads.detected_sections IS 'JSON array of detected resume sections';

COMMENT ON COLUMN public.file_uploads.processing_time IS 'Total processing time in milliseconds';

COMMENT ON COLUMN public.file_uploads.validation_time IS 'File validation time in milliseconds';

COMMENT ON COLUMN public.file_uploads.extraction_time IS 'Text extraction time in milliseconds';

COMMENT ON COLUMN public.file_uploads.created_at IS 'Timestamp when upload record was created';

COMMENT ON COLUMN public.file_uploads.updated_at IS 'Timestamp when record was last updated';

COMMENT ON COLUMN public.file_uploads.completed_at IS 'Timestamp when processing was completed';

CREATE TABLE public.prompt_history (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    prompt_id uuid NOT NULL,
    request_id uuid NOT NULL,
    prompt_version integer NOT NULL,
    prompt_content text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.prompts (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    name character varying(100) NOT NULL,
    description text,
    template text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    prompt_type character varying(50) NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT prompts_prompt_type_check CHECK (((prompt_type)::text = ANY ((ARRAY['system'::character varying, 'analysis'::character varying, 'formatting'::character varying, 'content'::character varying])::text[])))
);

CREATE TABLE public.refresh_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token_hash character varying(255) NOT NULL,
    session_id character varying(255) NOT NULL,
    status character varying(50) DEFAULT 'active'::character varying NOT NULL,
    device_info text,
    ip_address character varying(45),
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_used_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT chk_refresh_tokens_status CHECK (((status)::text = ANY ((ARRAY['active'::character varying, 'expired'::character varying, 'revoked'::character varying])::text[])))
);

COMMENT ON TABLE public.refresh_tokens IS 'Stores JWT refresh tokens for secure session management';

COMMENT ON COLUMN public.refresh_tokens.id IS 'Primary key for refresh token record';

COMMENT ON COLUMN public.refresh_tokens.user_id IS 'Foreign key reference to users table';

COMMENT ON COLUMN public.refresh_tokens.token_hash IS 'SHA-256 hash of the JWT refresh token for security';

COMMENT ON COLUMN public.refresh_tokens.session_id IS 'Unique session identifier for tracking multiple sessions';

COMMENT ON COLUMN public.refresh_tokens.status IS 'Token status: active, expired, or revoked';

COMMENT ON COLUMN public.refresh_tokens.device_info IS 'Optional device/browser information for session identification';

COMMENT ON COLUMN public.refresh_tokens.ip_address IS 'IP address from which the session was created';

COMMENT ON COLUMN public.refresh_tokens.expires_at IS 'Token expiration timestamp (7 days from creation)';

COMMENT ON COLUMN public.refresh_tokens.created_at IS 'Timestamp when token was created';

COMMENT ON COLUMN public.refresh_tokens.last_used_at IS 'Timestamp when token was last used for refresh';

CREATE TABLE public.schema_migrations (
    version character varying(255) NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE TABLE public.users (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    email character varying(255) NOT NULL,
    password_hash character varying(255) NOT NULL,
    first_name character varying(100) NOT NULL,
    last_name character varying(100) NOT NULL,
    role character varying(50) DEFAULT 'consultant'::character varying NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    email_verified boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    last_login_at timestamp with time zone,
    password_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    failed_login_attempts integer DEFAULT 0,
    locked_until timestamp with time zone,
    CONSTRAINT users_role_check CHECK (((role)::text = ANY ((ARRAY['consultant'::character varying, 'admin'::character varying])::text[])))
);

ALTER TABLE ONLY public.analysis_requests
    ADD CONSTRAINT analysis_requests_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.analysis_results
    ADD CONSTRAINT analysis_results_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.file_uploads
    ADD CONSTRAINT file_uploads_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.prompt_history
    ADD CONSTRAINT prompt_history_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT prompts_name_key UNIQUE (name);

ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT prompts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

CREATE INDEX idx_analysis_requests_created_at ON public.analysis_requests USING btree (created_at DESC);

CREATE INDEX idx_analysis_requests_status ON public.analysis_requests USING btree (status);

CREATE INDEX idx_analysis_requests_user_id ON public.analysis_requests USING btree (user_id);

CREATE INDEX idx_analysis_results_request_id ON public.analysis_results USING btree (request_id);

CREATE INDEX idx_file_uploads_created_at ON public.file_uploads USING btree (created_at);

CREATE INDEX idx_file_uploads_file_hash ON public.file_uploads USING btree (file_hash);

CREATE INDEX idx_file_uploads_status ON public.file_uploads USING btree (status);

CREATE INDEX idx_file_uploads_user_id_created_at ON public.file_uploads USING btree (user_id, created_at);

CREATE INDEX idx_file_uploads_user_status ON public.file_uploads USING btree (user_id, status);

CREATE INDEX idx_prompt_history_prompt_id ON public.prompt_history USING btree (prompt_id);

CREATE INDEX idx_prompt_history_request_id ON public.prompt_history USING btree (request_id);

CREATE INDEX idx_prompts_name ON public.prompts USING btree (name);

CREATE INDEX idx_prompts_type_active ON public.prompts USING btree (prompt_type, is_active);

CREATE INDEX idx_refresh_tokens_expires_at ON public.refresh_tokens USING btree (expires_at);

CREATE INDEX idx_refresh_tokens_session_id ON public.refresh_tokens USING btree (session_id);

CREATE INDEX idx_refresh_tokens_status ON public.refresh_tokens USING btree (status);

CREATE INDEX idx_refresh_tokens_token_hash ON public.refresh_tokens USING btree (token_hash);

CREATE INDEX idx_refresh_tokens_user_id ON public.refresh_tokens USING btree (user_id);

CREATE INDEX idx_refresh_tokens_user_session ON public.refresh_tokens USING btree (user_id, session_id);

CREATE INDEX idx_refresh_tokens_user_status ON public.refresh_tokens USING btree (user_id, status);

CREATE INDEX idx_users_email ON public.users USING btree (email);

CREATE INDEX idx_users_failed_attempts ON public.users USING btree (failed_login_attempts);

CREATE INDEX idx_users_locked_until ON public.users USING btree (locked_until);

CREATE TRIGGER trigger_limit_user_sessions BEFORE INSERT ON public.refresh_tokens FOR EACH ROW EXECUTE FUNCTION public.limit_user_sessions();

CREATE TRIGGER trigger_update_file_upload_timestamp BEFORE UPDATE ON public.file_uploads FOR EACH ROW EXECUTE FUNCTION public.update_file_upload_timestamp();

CREATE TRIGGER update_analysis_requests_updated_at BEFORE UPDATE ON public.analysis_requests FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

CREATE TRIGGER update_prompts_updated_at BEFORE UPDATE ON public.prompts FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

ALTER TABLE ONLY public.analysis_requests
    ADD CONSTRAINT analysis_requests_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.analysis_results
    ADD CONSTRAINT analysis_results_request_id_fkey FOREIGN KEY (request_id) REFERENCES public.analysis_requests(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.file_uploads
    ADD CONSTRAINT file_uploads_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.prompt_history
    ADD CONSTRAINT prompt_history_prompt_id_fkey FOREIGN KEY (prompt_id) REFERENCES public.prompts(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.prompt_history
    ADD CONSTRAINT prompt_history_request_id_fkey FOREIGN KEY (request_id) REFERENCES public.analysis_requests(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.prompts
    ADD CONSTRAINT prompts_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);

ALTER TABLE ONLY public.refresh_tokens
    ADD CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

