-- expect exit: 1
-- expect hazards:
-- expect mentions: BREAKING   COLUMN file_uploads.target_industry missing | written by: fileUploads.create | field-mapping.csv line 37: FileUpload,targetIndustry,file_uploads,target_industry,direct,production only
SET lock_timeout = '5s';
ALTER TABLE file_uploads DROP COLUMN target_industry;
