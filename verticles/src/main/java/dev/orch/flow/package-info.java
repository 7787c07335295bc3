/**
 * Shared plumbing for how work proceeds over time: how long to wait before trying again, and running asynchronous
 * steps one at a time. Every verticle may use it; it depends on nothing of orch's.
 */
package dev.orch.flow;
