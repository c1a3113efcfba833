package io.wharf.web.console;

import org.springframework.ui.Model;

/**
 * The confirmation page ({@code templates/confirm.html}) every destructive action goes through: a
 * {@code GET} of the action's address shows the question, its form posts to the same address.
 *
 * @param title    the page's heading, e.g. "Delete project team"
 * @param question what will happen, in a sentence
 * @param action   the address the confirming form posts to
 * @param button   the confirming button's label
 * @param cancel   where "Cancel" leads
 */
public record Confirmation(String title, String question, String action, String button, String cancel) {

    /** Puts this confirmation in {@code model} and names the view that shows it. */
    public String show(Model model) {
        model.addAttribute("confirmation", this);
        return "confirm";
    }
}
