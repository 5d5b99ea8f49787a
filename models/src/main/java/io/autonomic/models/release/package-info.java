/**
 * Trained models as {@link io.autonomic.schemas.avro.ModelRelease} records: conversion and files
 * ({@link io.autonomic.models.release.ModelReleases}), publishing to the compacted models topic
 * ({@link io.autonomic.models.release.ModelPublisher}) and the {@link io.autonomic.models.release.Publish} entry point.
 */
package io.autonomic.models.release;
