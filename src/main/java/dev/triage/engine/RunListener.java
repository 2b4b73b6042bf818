package dev.triage.engine;

import dev.triage.scenario.TestNode;

/** Progress of a walk, for the faces (CLI lines on stderr, the text UI's live list). */
public interface RunListener {
    RunListener NONE = new RunListener() { };

    default void testStarted(TestNode test) { }

    default void testFinished(TestNode test, StepResult result) { }
}
