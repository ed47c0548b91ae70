"""A module whose workflow is invalid: importing it raises WorkflowError."""

import ticketflow as tf

WORKFLOW = tf.Workflow(
    name="bad",
    statuses=[tf.Status("open", initial=True, code=1), tf.Status("done", code=1)],
    transitions=[tf.Transition("finish", source="open", target="done")],
)
